{% macro get_incremental_replace_months_sql(arg_dict) %}
    {#-
        Custom incremental strategy 'replace_months': delete the target's rows of every month
        from rebuild_from_month_index() on (or from rebuild_months_before months earlier, a config
        of the model), then insert the new rows (built for those months).
    -#}
    {%- set dest_columns = arg_dict['dest_columns'] | map(attribute='name') | list -%}
    {%- set columns_csv = get_quoted_csv(dest_columns) -%}
    delete from {{ arg_dict['target_relation'] }}
    where month >= {{ mrr_engine.month_literal(mrr_engine.first_rebuilt_month_index()) }};

    insert into {{ arg_dict['target_relation'] }} ({{ columns_csv }})
    select {{ columns_csv }} from {{ arg_dict['temp_relation'] }}
{% endmacro %}
