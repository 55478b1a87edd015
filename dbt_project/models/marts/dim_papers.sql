-- One row per paper. Title, abstract and claim_count come from its latest appearance (the text
-- the feed shows now); the history columns from all of them; the API's own fields (AI summary and
-- keywords, publication time, project page, withdrawal, organization, submitter) from its latest
-- API appearance, so a later page appearance does not blank them (null when never on the API).
with appearances as (
    select * from {{ ref('int_entry_papers') }}
),

latest as (
    select paper_id, arxiv_id, title, title_key, abstract, snapshot_id, position
    from appearances
    qualify row_number() over (partition by paper_id order by snapshot_date desc, position) = 1
),

history as (
    select
        paper_id,
        min(snapshot_date) as first_seen_date,
        max(snapshot_date) as last_seen_date,
        count(distinct snapshot_date) as days_on_feed
    from appearances
    group by paper_id
),

latest_upvotes as (
    select paper_id, upvotes as latest_upvotes
    from appearances
    where upvotes is not null
    qualify row_number() over (partition by paper_id order by snapshot_date desc, position) = 1
),

latest_api as (
    select
        paper_id,
        ai_summary,
        ai_keywords,
        published_at,
        project_page,
        is_withdrawn,
        organization_id,
        submitter_user as submitted_by
    from appearances
    where snapshot_format = 'api'
    qualify row_number() over (partition by paper_id order by snapshot_date desc, position) = 1
),

repos as (
    select
        links.paper_id,
        count(distinct links.repo_id) as repo_count,
        bool_or(repos.kind = 'code') as has_code
    from {{ ref('bridge_paper_repos') }} as links
    inner join {{ ref('int_repos') }} as repos on repos.repo_id = links.repo_id
    group by links.paper_id
),

claims as (
    select latest.paper_id, count(*) as claim_count
    from {{ ref('fct_claims') }} as claims
    inner join latest
        on latest.snapshot_id = claims.snapshot_id
        and latest.position = claims.position
    group by latest.paper_id
)

select
    latest.paper_id,
    latest.arxiv_id,
    latest.title,
    latest.title_key,
    latest.abstract,
    history.first_seen_date,
    history.last_seen_date,
    history.days_on_feed,
    latest_upvotes.latest_upvotes,
    coalesce(repos.has_code, false) as has_code,
    coalesce(repos.repo_count, 0) as repo_count,
    coalesce(claims.claim_count, 0) as claim_count,
    latest_api.ai_summary,
    latest_api.ai_keywords,
    latest_api.published_at,
    latest_api.project_page,
    latest_api.is_withdrawn,
    latest_api.organization_id,
    latest_api.submitted_by
from latest
inner join history on history.paper_id = latest.paper_id
left join latest_api on latest_api.paper_id = latest.paper_id
left join latest_upvotes on latest_upvotes.paper_id = latest.paper_id
left join repos on repos.paper_id = latest.paper_id
left join claims on claims.paper_id = latest.paper_id
