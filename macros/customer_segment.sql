{% macro customer_segment(relation, segment_column, columns=none) %}
    {#-
        The segment of each customer of `relation` (stg_customers) as text: the value of the
        customer attribute `segment_column` ('unknown' when empty or when the customers input has
        no such column), or 'all' without a segment column. The column name is checked to be a
        safe identifier.
        columns: the attribute columns `relation` has (default: those of the customers input,
        customer_attribute_columns()).
    -#}
    {% if not segment_column %}
        {{ return("'all'") }}
    {% endif %}
    {% set column = mrr_engine.safe_identifier(segment_column) %}
    {% set present = columns if columns is not none else mrr_engine.customer_attribute_columns() %}
    {% if execute and column not in present %}
        {{ return("'unknown'") }}
    {% endif %}
    {{ return("coalesce(nullif(cast(" ~ relation ~ "." ~ column ~ " as " ~ dbt.type_string() ~ "), ''), 'unknown')") }}
{% endmacro %}
