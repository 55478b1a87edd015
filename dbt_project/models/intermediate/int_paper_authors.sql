-- Authors of each paper as its latest API appearance lists them (page snapshots carry none), each
-- with an identity: the HF account when the author linked one, else the API's author id, else the
-- normalised name (only when nothing else is known). So namesakes with different ids stay apart,
-- and one id under a changed spelling stays one author. An identity listed twice keeps its first place.
with latest_lists as (
    select paper_id, snapshot_date, authors, author_ids, author_users
    from {{ ref('int_entry_papers') }}
    where len(authors) > 0
    qualify row_number() over (partition by paper_id order by snapshot_date desc, position) = 1
),

positions as (
    select *, cast(unnest(generate_series(1, len(authors))) as integer) as author_position
    from latest_lists
),

listed as (
    -- the three lists run in parallel; a missing id or account (or list) reads as null
    select
        paper_id,
        snapshot_date as listed_on,
        author_position,
        regexp_replace(trim(authors[author_position]), '\s+', ' ', 'g') as name,
        nullif(trim(author_ids[author_position]), '') as hf_author_id,
        nullif(trim(author_users[author_position]), '') as hf_user
    from positions
),

keyed as (
    select
        *,
        case
            when hf_user is not null then 'user'
            when hf_author_id is not null then 'author_id'
            else 'name'
        end as matched_on,
        case
            when hf_user is not null then 'user:' || lower(hf_user)
            when hf_author_id is not null then 'id:' || hf_author_id
            else 'name:' || {{ author_key('name') }}
        end as author_identity
    from listed
    where {{ author_key('name') }} <> ''
)

select paper_id, listed_on, author_identity, matched_on, name, hf_author_id, hf_user, author_position
from keyed
qualify row_number() over (partition by paper_id, author_identity order by author_position) = 1
