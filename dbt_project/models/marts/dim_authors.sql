-- One row per author identity (int_paper_authors: HF account, else HF author id, else name). The
-- name and account spelling are those of the latest list naming the author.
with latest as (
    select author_identity, name, hf_user, matched_on
    from {{ ref('int_paper_authors') }}
    qualify row_number() over (
        partition by author_identity order by listed_on desc, paper_id, author_position
    ) = 1
),

papers as (
    select author_identity, count(distinct paper_id) as paper_count
    from {{ ref('int_paper_authors') }}
    group by author_identity
)

select
    md5(latest.author_identity) as author_id,
    latest.name,
    latest.hf_user,
    latest.matched_on,
    papers.paper_count
from latest
inner join papers on papers.author_identity = latest.author_identity
