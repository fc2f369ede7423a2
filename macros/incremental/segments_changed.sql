{% macro segments_changed(relation=none) %}
    {#-
        For metrics_mrr_monthly_by_segment in an incremental build (before its rows are replaced):
        whether its segments differ from the previous build's, so that every period is rebuilt.
        They do when a customer of the previous build is in another segment now
        (int_incremental_window's changed_segment_customers, or when it cannot tell), or when the
        set of segments (each has a row in every period) is not the one in `relation` (default:
        the model being built): a new segment value, or one no customer has any more. Never
        without a segment column (var segment_column).
    -#}
    {% if not execute or not var('segment_column', none) %}
        {{ return(false) }}
    {% endif %}
    {% set changed_customers = mrr_engine.incremental_window(relation).changed_segment_customers %}
    {% if changed_customers is none or changed_customers > 0 %}
        {{ return(true) }}
    {% endif %}
    {% set previous = relation if relation is not none else this %}
    {% set query %}
        with

        previous_segments as (
            select distinct segment from {{ previous }}
        ),

        customers as (
            select * from {{ ref('dim_customers') }}
        ),

        segments as (
            select distinct {{ mrr_engine.customer_segment('customers', var('segment_column')) }} as segment
            from customers
        )

        select count(*)
        from previous_segments
        full outer join segments
            on previous_segments.segment = segments.segment
        where previous_segments.segment is null or segments.segment is null
    {% endset %}
    {{ return(run_query(query).rows[0][0] | int > 0) }}
{% endmacro %}
