{% macro customer_segment(relation, segment_column) %}
    {#-
        The segment of each customer of `relation` (dim_customers) as text: the value of the
        customer attribute `segment_column` ('unknown' when empty or when the customers input has
        no such column), or 'all' without a segment column. The column name is checked to be a
        safe identifier.
    -#}
    {% if not segment_column %}
        {{ return("'all'") }}
    {% endif %}
    {% set column = mrr_engine.safe_identifier(segment_column) %}
    {% if execute and column not in mrr_engine.customer_attribute_columns() %}
        {{ return("'unknown'") }}
    {% endif %}
    {{ return("coalesce(nullif(cast(" ~ relation ~ "." ~ column ~ " as " ~ dbt.type_string() ~ "), ''), 'unknown')") }}
{% endmacro %}
