{#- Custom schemas are used as named (dbt would prefix the target schema): main holds the marts
    only, lake (the stg_ views) and intermediate hold the rest. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}
