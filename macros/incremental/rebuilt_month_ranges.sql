{% macro rebuilt_month_ranges(looks_ahead=none, relation=none) %}
    {#-
        The months (as month indexes) an incremental build recomputes in a month-grain model, as
        sorted, disjoint [first, last] ranges (last none: every later month):
        - every month from rebuild_from_month_index() on;
        - for each k of looks_ahead (default: the model's config rebuild_looks_ahead, set through
          month_incremental_config), the months whose rows read the month k months later: from
          rebuild_from - k to last_as_of - k (incremental_window(); later months read a month
          that has no row in either build, so their rows cannot change).
        relation: where int_incremental_window is (default: the model being built).
    -#}
    {% set window = mrr_engine.incremental_window(relation) %}
    {% set ahead = looks_ahead if looks_ahead is not none else config.get('rebuild_looks_ahead', []) %}
    {#- an open range ends at a month no build reaches -#}
    {% set open_end = window.last_as_of + 1 %}
    {% set ranges = [[window.rebuild_from, open_end]] %}
    {% for months in ahead %}
        {% do ranges.append([[window.rebuild_from - months, 0] | max, window.last_as_of - months]) %}
    {% endfor %}
    {% set merged = [] %}
    {% for range in ranges | sort %}
        {% if range[0] <= range[1] %}
            {% if merged and range[0] <= merged[-1][1] + 1 %}
                {% set last = merged.pop() %}
                {% do merged.append([last[0], [last[1], range[1]] | max]) %}
            {% else %}
                {% do merged.append(range) %}
            {% endif %}
        {% endif %}
    {% endfor %}
    {{ return(merged[:-1] + [[merged[-1][0], none]]) }}
{% endmacro %}
