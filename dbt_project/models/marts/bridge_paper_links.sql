-- Every URL a paper names (abstract text) or the API gives for it (project page, repository), one
-- row per paper, URL and source; kind and host as first classified. Repository links are also
-- resolved to canonical repos in bridge_paper_repos.
select
    entries.paper_id,
    links.url,
    links.host,
    links.kind,
    links.source,
    min(links.snapshot_date) over (partition by entries.paper_id, links.url, links.source) as first_seen_date
from {{ ref('int_links') }} as links
inner join {{ ref('int_entry_papers') }} as entries
    on entries.snapshot_id = links.snapshot_id
    and entries.position = links.position
qualify row_number() over (
    partition by entries.paper_id, links.url, links.source
    order by links.snapshot_date, links.position, links.char_offset nulls first, links.kind
) = 1
