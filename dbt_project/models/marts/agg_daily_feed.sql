-- One row per committed day. A paper is new on the day it was first seen; papers_with_code counts
-- papers whose entry that day links a code repository. The top claim is the day's largest
-- percentage gain (else the largest gain, else any claim), ties to the paper higher on the page.
with days as (
    select snapshot_date from {{ ref('int_snapshots') }}
),

papers as (
    select
        appearances.snapshot_date,
        count(distinct appearances.paper_id) as papers,
        count(distinct appearances.paper_id) filter (where dim_papers.first_seen_date = appearances.snapshot_date) as new_papers
    from {{ ref('fct_paper_appearances') }} as appearances
    inner join {{ ref('dim_papers') }} as dim_papers on dim_papers.paper_id = appearances.paper_id
    group by appearances.snapshot_date
),

with_code as (
    select entries.snapshot_date, count(distinct entries.paper_id) as papers_with_code
    from {{ ref('int_repo_mentions') }} as mentions
    inner join {{ ref('int_entry_papers') }} as entries
        on entries.snapshot_id = mentions.snapshot_id
        and entries.position = mentions.position
    where mentions.kind = 'code'
    group by entries.snapshot_date
),

claims as (
    select snapshot_date, count(*) as claims
    from {{ ref('fct_claims') }}
    group by snapshot_date
),

top_claims as (
    select snapshot_date, claim_id, paper_id, text
    from {{ ref('fct_claims') }}
    qualify row_number() over (
        partition by snapshot_date
        order by kind = 'gain' desc, unit = 'percent' desc, value desc, position, char_offset
    ) = 1
)

select
    days.snapshot_date,
    coalesce(papers.papers, 0) as papers,
    coalesce(papers.new_papers, 0) as new_papers,
    coalesce(papers.papers, 0) - coalesce(papers.new_papers, 0) as returning_papers,
    coalesce(with_code.papers_with_code, 0) as papers_with_code,
    coalesce(with_code.papers_with_code, 0) / nullif(papers.papers, 0) as share_with_code,
    coalesce(claims.claims, 0) as claims,
    top_claims.claim_id as top_claim_id,
    top_claims.paper_id as top_claim_paper_id,
    top_claims.text as top_claim_text
from days
left join papers on papers.snapshot_date = days.snapshot_date
left join with_code on with_code.snapshot_date = days.snapshot_date
left join claims on claims.snapshot_date = days.snapshot_date
left join top_claims on top_claims.snapshot_date = days.snapshot_date
