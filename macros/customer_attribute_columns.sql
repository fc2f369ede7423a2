{% macro customer_attribute_columns() %}
    {#-
        The attribute columns of the customers input (every column but customer_id and the
        staging bookkeeping), checked to be safe identifiers; empty while dbt parses.
    -#}
    {% if not execute %}
        {{ return([]) }}
    {% endif %}
    {% set columns = adapter.get_columns_in_relation(ref('stg_customers')) | map(attribute='name')
        | map('lower') | list %}
    {% set attributes = [] %}
    {% for name in columns if name not in ('customer_id', 'input_row_number') %}
        {% do attributes.append(mrr_engine.safe_identifier(name)) %}
    {% endfor %}
    {{ return(attributes) }}
{% endmacro %}

{% macro select_customer_attributes(relation_alias) %}
    {#- `<alias>.<attribute>,` for every customer attribute column: put it before a fixed column. -#}
    {%- for attribute in mrr_engine.customer_attribute_columns() -%}
        {{ relation_alias }}.{{ attribute }},
    {% endfor -%}
{% endmacro %}
