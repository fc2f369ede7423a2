{% macro merge_month_ranges(ranges, step=1) %}
    {#-
        `ranges` ([first, last] month indexes, last none: every later month; in any order, empty
        ones with first > last allowed) as sorted, disjoint ranges: overlapping ranges, and ranges
        that meet (the next starting `step` months after the last: 1 for months, 3 or 12 for
        ranges of quarters' or years' first months), become one.
    -#}
    {#- an open range ends at a month no build reaches -#}
    {% set open_end = 1000000000 %}
    {% set closed = [] %}
    {% for range in ranges %}
        {% do closed.append([range[0], open_end if range[1] is none else range[1]]) %}
    {% endfor %}
    {% set merged = [] %}
    {% for range in closed | sort %}
        {% if range[0] <= range[1] %}
            {% if merged and range[0] <= merged[-1][1] + step %}
                {% set last = merged.pop() %}
                {% do merged.append([last[0], [last[1], range[1]] | max]) %}
            {% else %}
                {% do merged.append(range) %}
            {% endif %}
        {% endif %}
    {% endfor %}
    {% set result = [] %}
    {% for range in merged %}
        {% do result.append([range[0], none if range[1] >= open_end else range[1]]) %}
    {% endfor %}
    {{ return(result) }}
{% endmacro %}
