select
    snapshot_id,
    cast(snapshot_date as date) as snapshot_date,
    cast(position as integer) as position,
    title,
    abstract,
    arxiv_id,
    authors,
    cast(upvotes as integer) as upvotes,
    cast(num_comments as integer) as num_comments,
    github_repo,
    cast(github_stars as integer) as github_stars,
    project_page,
    ai_summary,
    ai_keywords,
    cast(published_at as timestamptz) as published_at,
    cast(submitted_at as timestamptz) as submitted_at,
    is_withdrawn
from {{ source('lake', 'entries') }}
