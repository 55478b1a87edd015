{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='snapshot_date',
    post_hook="{{ delete_uncommitted_rows(ref('int_snapshots')) }}",
) }}

-- Links of committed snapshots (every URL an entry names, and the API's project page): the
-- warehouse's copy of the lake's history, so bridge_paper_links never rescans the lake.
select
    links.snapshot_id,
    links.snapshot_date,
    links.position,
    links.url,
    links.host,
    links.kind,
    links.source,
    links.char_offset
from {{ ref('stg_links') }} as links
inner join {{ ref('int_snapshots') }} as snapshots
    on snapshots.snapshot_id = links.snapshot_id
    and snapshots.snapshot_date = links.snapshot_date
where {{ in_snapshot_dates('links.snapshot_date', pending_snapshot_dates(ref('int_snapshots'))) }}
