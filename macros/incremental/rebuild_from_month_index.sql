{% macro rebuild_from_month_index() %}
    {#-
        For an incremental build: the first month (as a month index) that this build recomputes,
        read from int_incremental_window (see incremental_window()). Earlier months are kept as
        they are, but for the months a model's rows look ahead from (rebuilt_month_ranges()).
    -#}
    {{ return(mrr_engine.incremental_window().rebuild_from) }}
{% endmacro %}
