select
    snapshot_id,
    cast(snapshot_date as date) as snapshot_date,
    source,
    format,
    layout,
    in_page_date,
    cast(byte_size as bigint) as byte_size,
    cast(entry_count as integer) as entry_count,
    cast(ingested_at as timestamptz) as ingested_at,
    parser_version,
    extractor_version,
    waived_checks
from {{ source('lake', 'snapshots') }}
