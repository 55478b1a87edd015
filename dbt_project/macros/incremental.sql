{#-
  Incremental models hold rows of committed snapshots and are keyed by snapshot_date
  (delete+insert). A build reads only the days whose committed snapshot_id is not in the model
  yet: new days, and days re-ingested from a corrected file (a new snapshot_id for the same day).
-#}

{% macro pending_snapshot_dates(snapshots) -%}
    {#- The days to (re)load into {{ this }}; none when not incremental (everything is read). -#}
    {%- if not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set pending -%}
        select distinct snapshot_date from {{ snapshots }}
        where snapshot_id not in (select distinct snapshot_id from {{ this }})
        order by snapshot_date
    {%- endset -%}
    {{ return(run_query(pending).columns[0].values() | list) }}
{%- endmacro %}

{% macro in_snapshot_dates(date_column, days) -%}
    {#- A predicate on date_column: true for every day when days is none (not incremental). Days
        are spelled out as DATE literals so that DuckDB prunes the lake's hive partitions instead
        of opening every day's file. -#}
    {%- if days is none -%}
        true
    {%- elif days | length == 0 -%}
        false
    {%- else -%}
        {{ date_column }} in ({% for day in days %}date '{{ day }}'{{ ", " if not loop.last }}{% endfor %})
    {%- endif -%}
{%- endmacro %}

{% macro delete_uncommitted_rows(snapshots) -%}
    {#- Post-hook: a corrected day whose new snapshot has no rows for this model leaves the old
        snapshot's rows behind (delete+insert only deletes days it inserts); drop them. -#}
    delete from {{ this }} where snapshot_id not in (select snapshot_id from {{ snapshots }})
{%- endmacro %}

{% macro repoint_paper_ids(entry_papers) -%}
    {#- Post-hook: a title first seen without an arXiv id gets one once an API entry names it, so
        rows loaded on earlier days move to the arXiv paper_id (a full refresh would give them it). -#}
    update {{ this }} as target
    set paper_id = resolved.paper_id
    from {{ entry_papers }} as resolved
    where resolved.snapshot_id = target.snapshot_id
      and resolved.position = target.position
      and resolved.paper_id <> target.paper_id
{%- endmacro %}
