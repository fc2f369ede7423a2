{% macro get_incremental_replace_months_sql(arg_dict) %}
    {#-
        Custom incremental strategy 'replace_months': delete the target's rows of every month (or
        period) the build recomputes (rebuilt_rows_condition(): from rebuild_from_month_index()
        on, and the months whose rows look ahead into them), then insert the new rows (built for
        those months).
    -#}
    {%- set dest_columns = arg_dict['dest_columns'] | map(attribute='name') | list -%}
    {%- set columns_csv = get_quoted_csv(dest_columns) -%}
    delete from {{ arg_dict['target_relation'] }}
    where {{ mrr_engine.rebuilt_rows_condition(config) }};

    insert into {{ arg_dict['target_relation'] }} ({{ columns_csv }})
    select {{ columns_csv }} from {{ arg_dict['temp_relation'] }}
{% endmacro %}
