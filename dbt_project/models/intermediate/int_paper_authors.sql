-- Authors of each paper as its latest API appearance lists them (page snapshots carry none).
-- A name listed twice keeps its first place; runs of spaces in names are folded.
with latest_lists as (
    select paper_id, authors
    from {{ ref('int_entry_papers') }}
    where len(authors) > 0
    qualify row_number() over (partition by paper_id order by snapshot_date desc, position) = 1
),

listed as (
    select
        paper_id,
        unnest(authors) as name,
        cast(unnest(generate_series(1, len(authors))) as integer) as author_position
    from latest_lists
)

select
    paper_id,
    regexp_replace(trim(name), '\s+', ' ', 'g') as name,
    {{ author_key('name') }} as author_key,
    author_position
from listed
where {{ author_key('name') }} <> ''
qualify row_number() over (partition by paper_id, {{ author_key('name') }} order by author_position) = 1
