{% macro rebuilt_period_ranges(period, looks_ahead=none, relation=none, segmented=none) %}
    {#-
        The periods ('month', 'quarter' or 'year') an incremental build recomputes in a
        period-grain model (the metrics_mrr_* marts), as sorted, disjoint [first, last] ranges of
        the periods' first months (month indexes; last none: every later period).
        A period's row reads the rows of a month-grain model (whose rows look ahead `looks_ahead`
        months, default the model's config rebuild_looks_ahead) in its months and in the month
        before it (its start): it is rebuilt when one of those months is rebuilt there
        (rebuilt_month_ranges()).
        segmented: the model is cut by customer segment (metrics_mrr_monthly_by_segment; default:
        the model's config rebuild_segmented): every period when the segments changed
        (segments_changed()).
    -#}
    {% set cut_by_segment = segmented if segmented is not none else config.get('rebuild_segmented', false) %}
    {% if cut_by_segment and mrr_engine.segments_changed(relation) %}
        {{ return([[0, none]]) }}
    {% endif %}
    {% set months_per_period = mrr_engine.months_per_period(period) %}
    {% set ranges = [] %}
    {% for range in mrr_engine.rebuilt_month_ranges(looks_ahead, relation) %}
        {#- the periods holding a rebuilt month or the month after one -#}
        {% set first = range[0] - range[0] % months_per_period %}
        {% set last = none if range[1] is none else range[1] + 1 - (range[1] + 1) % months_per_period %}
        {% do ranges.append([first, last]) %}
    {% endfor %}
    {{ return(mrr_engine.merge_month_ranges(ranges, step=months_per_period)) }}
{% endmacro %}
