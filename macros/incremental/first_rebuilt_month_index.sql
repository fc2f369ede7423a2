{% macro first_rebuilt_month_index() %}
    {#-
        For an incremental build of a month-grain model: the first month (as a month index) it
        recomputes, rebuild_from_month_index() less the model's rebuild_months_before config
        (set through month_incremental_config(months_before)). The model filters its rows and the
        replace_months strategy deletes the old ones from this month on.
    -#}
    {{ return(mrr_engine.rebuild_from_month_index() - config.get('rebuild_months_before', 0)) }}
{% endmacro %}
