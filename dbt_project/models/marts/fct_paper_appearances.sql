{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='snapshot_date',
    post_hook=[
        "{{ delete_uncommitted_rows(ref('int_snapshots')) }}",
        "{{ repoint_paper_ids(ref('int_entry_papers')) }}",
    ],
) }}

select
    {{ appearance_id('snapshot_id', 'position') }} as appearance_id,
    paper_id,
    snapshot_id,
    snapshot_date,
    position,
    upvotes,
    num_comments
from {{ ref('int_entry_papers') }}
where {{ in_snapshot_dates('snapshot_date', pending_snapshot_dates(ref('int_snapshots'))) }}
