-- One row per paper per day it is on the feed: its upvotes, the change since its previous
-- appearance (null on the first, and when either day reported none: page snapshots give no
-- upvotes) and its rank by upvotes among the day's papers (1 = most upvoted, ties share a rank;
-- null without upvotes). Rebuilt from fct_paper_appearances, whose history it needs.
with daily as (
    -- a paper listed twice on one day counts once, at its higher place
    select paper_id, snapshot_date, upvotes, num_comments
    from {{ ref('fct_paper_appearances') }}
    qualify row_number() over (partition by paper_id, snapshot_date order by position) = 1
)

select
    paper_id,
    snapshot_date,
    upvotes,
    upvotes - lag(upvotes) over (partition by paper_id order by snapshot_date) as upvotes_delta,
    num_comments,
    case
        when upvotes is not null
            then cast(rank() over (partition by snapshot_date order by upvotes desc nulls last) as integer)
    end as rank_by_upvotes
from daily
