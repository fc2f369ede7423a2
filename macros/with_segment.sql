{% macro with_segment(relation, segment_column) %}
    {#-
        For mrr_metrics: `relation` (a CTE with customer_id) with a `segment` column: the
        customer's segment from the CTE customer_segments, or the constant 'all' when the metrics
        are not segmented (no join then).
    -#}
    {% if segment_column %}
        select
            {{ relation }}.*,
            customer_segments.segment
        from {{ relation }}
        inner join customer_segments
            on {{ relation }}.customer_id = customer_segments.customer_id
    {% else %}
        select
            *,
            'all' as segment
        from {{ relation }}
    {% endif %}
{% endmacro %}
