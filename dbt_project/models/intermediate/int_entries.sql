{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='snapshot_date',
    post_hook="{{ delete_uncommitted_rows(ref('int_snapshots')) }}",
) }}

-- Entries of committed snapshots with their matching keys; a warehouse copy of the lake's entries
-- so that paper-level models never rescan the lake's history.
select
    entries.snapshot_id,
    entries.snapshot_date,
    entries.position,
    snapshots.format as snapshot_format,
    entries.title,
    {{ title_key('entries.title') }} as title_key,
    entries.abstract,
    {{ normalised_arxiv_id('entries.arxiv_id') }} as arxiv_id,
    entries.authors,
    entries.upvotes,
    entries.num_comments,
    entries.github_stars,
    entries.project_page,
    entries.ai_summary,
    entries.ai_keywords,
    entries.published_at,
    entries.is_withdrawn,
    entries.author_ids,
    entries.author_users,
    entries.organization_id,
    entries.organization_name,
    entries.organization_fullname,
    entries.submitter_id,
    entries.submitter_user,
    entries.submitter_fullname
from {{ ref('stg_entries') }} as entries
inner join {{ ref('int_snapshots') }} as snapshots
    on snapshots.snapshot_id = entries.snapshot_id
    and snapshots.snapshot_date = entries.snapshot_date
where {{ in_snapshot_dates('entries.snapshot_date', pending_snapshot_dates(ref('int_snapshots'))) }}
