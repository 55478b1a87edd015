-- One row per paper. Title, abstract and claim_count come from its latest appearance (the text
-- the feed shows now); the history columns from all of them; the API's own fields (AI summary and
-- keywords, publication time, project page, withdrawal, organization, submitter) from its latest
-- API appearance, so a later page appearance does not blank them (null when never on the API).
with appearances as (
    select * from {{ ref('int_entry_papers') }}
),

per_paper as (
    -- One pass over the appearances. The latest one is the greatest (snapshot_date, -position): the
    -- latest day, the higher place on it. arg_max keeps only its key (snapshot_id, position); the
    -- wide text columns are joined back for that one row instead of being carried through a sort.
    select
        paper_id,
        arg_max(struct_pack(snapshot_id, position), struct_pack(snapshot_date, position := -position)) as latest,
        arg_max(struct_pack(snapshot_id, position), struct_pack(snapshot_date, position := -position))
            filter (where snapshot_format = 'api') as latest_api,
        arg_max(upvotes, struct_pack(snapshot_date, position := -position))
            filter (where upvotes is not null) as latest_upvotes,
        min(snapshot_date) as first_seen_date,
        max(snapshot_date) as last_seen_date,
        count(distinct snapshot_date) as days_on_feed
    from appearances
    group by paper_id
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
    select per_paper.paper_id, count(*) as claim_count
    from {{ ref('fct_claims') }} as claims
    inner join per_paper
        on per_paper.latest.snapshot_id = claims.snapshot_id
        and per_paper.latest.position = claims.position
    group by per_paper.paper_id
)

select
    per_paper.paper_id,
    latest.arxiv_id,
    latest.title,
    latest.title_key,
    latest.abstract,
    per_paper.first_seen_date,
    per_paper.last_seen_date,
    per_paper.days_on_feed,
    per_paper.latest_upvotes,
    coalesce(repos.has_code, false) as has_code,
    coalesce(repos.repo_count, 0) as repo_count,
    coalesce(claims.claim_count, 0) as claim_count,
    latest_api.ai_summary,
    latest_api.ai_keywords,
    latest_api.published_at,
    latest_api.project_page,
    latest_api.is_withdrawn,
    latest_api.organization_id,
    latest_api.submitter_user as submitted_by
from per_paper
inner join appearances as latest
    on latest.snapshot_id = per_paper.latest.snapshot_id
    and latest.position = per_paper.latest.position
left join appearances as latest_api
    on latest_api.snapshot_id = per_paper.latest_api.snapshot_id
    and latest_api.position = per_paper.latest_api.position
left join repos on repos.paper_id = per_paper.paper_id
left join claims on claims.paper_id = per_paper.paper_id
