{% macro add_declared_not_null_constraints() -%}
    {#- Pre-hook of the marts. An incremental mart keeps the table (and its DDL) it was first built
        with, so a not_null constraint declared in the yml after that would only be enforced after
        a full refresh: add the missing ones. ALTER ... SET NOT NULL checks the rows already there.
        Nothing to do for a table model, which is created from the contract on every build. -#}
    {%- if execute and is_incremental() -%}
        {%- set declared = [] -%}
        {%- for column in model.columns.values() -%}
            {%- if column.constraints | selectattr('type', 'equalto', 'not_null') | list -%}
                {%- do declared.append(column.name) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if declared -%}
            {%- set present_sql -%}
                select unnest(constraint_column_names) from duckdb_constraints()
                where constraint_type = 'NOT NULL' and database_name = '{{ this.database }}'
                  and schema_name = '{{ this.schema }}' and table_name = '{{ this.identifier }}'
            {%- endset -%}
            {%- set present = run_query(present_sql).columns[0].values() | list -%}
            {%- for name in declared if name not in present -%}
                alter table {{ this }} alter column {{ adapter.quote(name) }} set not null;
            {% endfor -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
