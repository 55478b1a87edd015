-- Repo deduplication: one row per repo_id (already lower-cased host/owner/name) however it was
-- spelled. The spelling kept is the API's (the authors' own link) when there is one, else the
-- first one seen.
with spellings as (
    select
        repo_id,
        host,
        kind,
        owner,
        name,
        url,
        min(snapshot_date) over (partition by repo_id) as first_seen_date
    from {{ ref('int_repo_mentions') }}
    qualify row_number() over (
        partition by repo_id
        order by source = 'api' desc, snapshot_date, position, char_offset nulls first, url
    ) = 1
),

stars as (
    -- the latest star count the API gave for the repo
    select mentions.repo_id, entries.github_stars
    from {{ ref('int_repo_mentions') }} as mentions
    inner join {{ ref('int_entries') }} as entries
        on entries.snapshot_id = mentions.snapshot_id
        and entries.position = mentions.position
    where mentions.source = 'api' and entries.github_stars is not null
    qualify row_number() over (
        partition by mentions.repo_id order by entries.snapshot_date desc, entries.github_stars desc
    ) = 1
)

select
    spellings.repo_id,
    spellings.host,
    spellings.kind,
    spellings.owner,
    spellings.name,
    spellings.url,
    spellings.first_seen_date,
    stars.github_stars
from spellings
left join stars on stars.repo_id = spellings.repo_id
