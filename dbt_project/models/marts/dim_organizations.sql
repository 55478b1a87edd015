-- One row per organization an API entry credits a paper to. Name and fullname are the latest
-- spelling; paper_count counts papers any appearance credits to it.
with credited as (
    select organization_id, organization_name, organization_fullname, paper_id, snapshot_date, position
    from {{ ref('int_entry_papers') }}
    where organization_id is not null
),

latest as (
    select organization_id, organization_name as name, organization_fullname as fullname
    from credited
    qualify row_number() over (partition by organization_id order by snapshot_date desc, position) = 1
)

select
    latest.organization_id,
    latest.name,
    latest.fullname,
    count(distinct credited.paper_id) as paper_count,
    min(credited.snapshot_date) as first_seen_date
from latest
inner join credited on credited.organization_id = latest.organization_id
group by all
