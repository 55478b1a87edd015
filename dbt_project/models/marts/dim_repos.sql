select
    repos.repo_id,
    repos.host,
    repos.kind,
    repos.owner,
    repos.name,
    repos.url,
    coalesce(linked.paper_count, 0) as paper_count,
    repos.first_seen_date,
    repos.github_stars
from {{ ref('int_repos') }} as repos
left join (
    select repo_id, count(distinct paper_id) as paper_count
    from {{ ref('bridge_paper_repos') }}
    group by repo_id
) as linked on linked.repo_id = repos.repo_id
