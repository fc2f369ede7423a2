{% macro rebuild_from_month_index() %}
    {#-
        For an incremental build: the first month (as a month index) that this build recomputes,
        read from int_incremental_window (built first). Earlier months are kept as they are.
        Read by name, not ref, so that the unit tests of the incremental models (which run them
        as full builds) need no fixture for it; the models run after it because they are
        downstream of int_subscription_periods_checked, which depends on it.
    -#}
    {% if not execute %}
        {{ return(0) }}
    {% endif %}
    {% set window = adapter.get_relation(
        database=this.database, schema=this.schema, identifier='int_incremental_window'
    ) %}
    {% if window is none %}
        {{ exceptions.raise_compiler_error("int_incremental_window must be built before an incremental build") }}
    {% endif %}
    {% set value = run_query('select rebuild_from_month_index from ' ~ window).rows[0][0] %}
    {{ return(0 if value is none else value | int) }}
{% endmacro %}
