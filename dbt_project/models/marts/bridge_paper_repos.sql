-- A paper links a repo through its abstract, the API's githubRepo, or both: one row per source.
-- The path kept is the one of the first sighting.
select
    entries.paper_id,
    mentions.repo_id,
    mentions.source,
    mentions.path,
    min(mentions.snapshot_date) over (partition by entries.paper_id, mentions.repo_id, mentions.source) as first_seen_date
from {{ ref('int_repo_mentions') }} as mentions
inner join {{ ref('int_entry_papers') }} as entries
    on entries.snapshot_id = mentions.snapshot_id
    and entries.position = mentions.position
qualify row_number() over (
    partition by entries.paper_id, mentions.repo_id, mentions.source
    order by mentions.snapshot_date, mentions.position, mentions.char_offset nulls first, mentions.path nulls first
) = 1
