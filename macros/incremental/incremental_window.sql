{% macro incremental_window(relation=none) %}
    {#-
        What int_incremental_window (built first) says of this build, as a mapping:
        rebuild_from, the first month (as a month index) the build recomputes (0: every month),
        last_as_of, the later of this build's and the previous build's as-of month (no model has
        rows after it in either build), and changed_attribute_customers and
        changed_segment_customers, how many of the previous build's customers have other attribute
        values, and another segment, now (none when it cannot tell).
        Read by name from the schema of `relation` (default: the model being built), not by ref,
        so that the unit tests of the incremental models (which run them as full builds) need no
        fixture for it; the models run after it because they are downstream of
        int_subscription_periods_checked, which depends on it.
    -#}
    {% if not execute %}
        {{ return({
            'rebuild_from': 0, 'last_as_of': 0,
            'changed_attribute_customers': none, 'changed_segment_customers': none,
        }) }}
    {% endif %}
    {% set near = relation if relation is not none else this %}
    {% set window = adapter.get_relation(
        database=near.database, schema=near.schema, identifier='int_incremental_window'
    ) %}
    {% if window is none %}
        {{ exceptions.raise_compiler_error("int_incremental_window must be built before an incremental build") }}
    {% endif %}
    {% set row = run_query(
        'select rebuild_from_month_index, as_of_month_index, previous_as_of_month_index,'
        ~ ' changed_attribute_customers, changed_segment_customers from ' ~ window
    ).rows[0] %}
    {% set as_of = row[1] | int %}
    {% set previous_as_of = as_of if row[2] is none else row[2] | int %}
    {{ return({
        'rebuild_from': 0 if row[0] is none else row[0] | int,
        'last_as_of': [as_of, previous_as_of] | max,
        'changed_attribute_customers': none if row[3] is none else row[3] | int,
        'changed_segment_customers': none if row[4] is none else row[4] | int,
    }) }}
{% endmacro %}
