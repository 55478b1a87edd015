-- One row per HF user who submitted a paper to the feed (the API's submittedOnDailyBy or
-- submittedBy). Id and fullname are the latest given; paper_count counts papers any appearance
-- says the user submitted.
with submitted as (
    select submitter_user, submitter_id, submitter_fullname, paper_id, snapshot_date, position
    from {{ ref('int_entry_papers') }}
    where submitter_user is not null
),

latest as (
    select submitter_user as user_name, submitter_id as hf_user_id, submitter_fullname as fullname
    from submitted
    qualify row_number() over (partition by submitter_user order by snapshot_date desc, position) = 1
)

select
    latest.user_name,
    latest.hf_user_id,
    latest.fullname,
    count(distinct submitted.paper_id) as paper_count,
    min(submitted.snapshot_date) as first_seen_date
from latest
inner join submitted on submitted.submitter_user = latest.user_name
group by all
