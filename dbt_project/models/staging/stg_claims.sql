select
    snapshot_id,
    cast(snapshot_date as date) as snapshot_date,
    cast(position as integer) as position,
    cast(char_offset as integer) as char_offset,
    cast(value as double) as value,
    cast(value_max as double) as value_max,
    unit,
    kind,
    qualifier,
    metric,
    text,
    extractor_version,
    rule
from {{ source('lake', 'claims') }}
