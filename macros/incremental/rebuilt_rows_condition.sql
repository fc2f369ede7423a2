{% macro rebuilt_rows_condition(model_config, relation=none) %}
    {#-
        The rows an incremental build of a model recomputes, as a SQL condition on its key column,
        from its config (month_incremental_config()): the months of rebuilt_month_ranges() in
        column `month` for a month-grain model, the periods of rebuilt_period_ranges() in the
        period column (`month`, `quarter` or `year`) for a period-grain model (config
        rebuild_period). What the replace_months strategy deletes and what the data tests of an
        incremental build read (tested_months_condition()).
        relation: where int_incremental_window is (default: the model being built).
    -#}
    {% set looks_ahead = model_config.get('rebuild_looks_ahead', []) %}
    {% set period = model_config.get('rebuild_period') %}
    {% if period %}
        {{ return(mrr_engine.month_ranges_condition(
            mrr_engine.rebuilt_period_ranges(
                period, looks_ahead, relation, segmented=model_config.get('rebuild_segmented', false)
            ),
            month_column=period
        )) }}
    {% endif %}
    {{ return(mrr_engine.rebuilt_months_condition(
        month_column='month', looks_ahead=looks_ahead, relation=relation
    )) }}
{% endmacro %}
