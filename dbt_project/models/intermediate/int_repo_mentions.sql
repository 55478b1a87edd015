{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='snapshot_date',
    post_hook="{{ delete_uncommitted_rows(ref('int_snapshots')) }}",
) }}

-- Repo mentions of committed snapshots: the warehouse's copy of the lake's history.
select
    mentions.snapshot_id,
    mentions.snapshot_date,
    mentions.position,
    mentions.repo_id,
    mentions.host,
    mentions.kind,
    mentions.owner,
    mentions.name,
    mentions.url,
    mentions.path,
    mentions.source,
    mentions.char_offset
from {{ ref('stg_repo_mentions') }} as mentions
inner join {{ ref('int_snapshots') }} as snapshots
    on snapshots.snapshot_id = mentions.snapshot_id
    and snapshots.snapshot_date = mentions.snapshot_date
where {{ in_snapshot_dates('mentions.snapshot_date', pending_snapshot_dates(ref('int_snapshots'))) }}
