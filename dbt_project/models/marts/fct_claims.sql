{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='snapshot_date',
    post_hook=[
        "{{ delete_uncommitted_rows(ref('int_snapshots')) }}",
        "{{ repoint_paper_ids(ref('int_entry_papers')) }}",
    ],
) }}

{% set pending_days = pending_snapshot_dates(ref('int_snapshots')) %}

select
    {{ claim_id('claims.snapshot_id', 'claims.position', 'claims.char_offset') }} as claim_id,
    entries.paper_id,
    claims.snapshot_id,
    claims.snapshot_date,
    claims.position,
    claims.char_offset,
    claims.value,
    claims.value_max,
    claims.unit,
    claims.kind,
    claims.qualifier,
    claims.metric,
    claims.text,
    claims.extractor_version,
    claims.rule
from {{ ref('stg_claims') }} as claims
-- entries hold committed snapshots only, so the join also drops claims of uncommitted ones
inner join {{ ref('int_entry_papers') }} as entries
    on entries.snapshot_id = claims.snapshot_id
    and entries.snapshot_date = claims.snapshot_date
    and entries.position = claims.position
where {{ in_snapshot_dates('claims.snapshot_date', pending_days) }}
    and {{ in_snapshot_dates('entries.snapshot_date', pending_days) }}
