{% macro input_relation(table_name) %}
    {#-
        What staging selects from for input table `table_name`, and its column names:
        a dict {"relation": <the source relation, or none when it does not exist>, "columns":
        [lowercase names], "source": <the source relation, existing or not>}. Every engine reads the dbt source `raw.<table_name>`: the tables a
        loader (or `mrr load`) filled, or on DuckDB the views `mrr build` makes over the input files;
        with var mrr_input_format: stripe, subscriptions, customers and plans are instead the Stripe
        adapter's models int_stripe__<table_name> (docs/stripe.md), checked like any input.
    -#}
    {% set relation = mrr_engine.input_source(table_name) %}
    {% do mrr_engine.safe_identifier(relation.schema) %}
    {% if not execute %}
        {{ return({"relation": relation, "columns": [], "source": relation}) }}
    {% endif %}
    {% set existing = adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier
    ) %}
    {% if existing is none %}
        {{ return({"relation": none, "columns": [], "source": relation}) }}
    {% endif %}
    {% set columns = adapter.get_columns_in_relation(existing) | map(attribute='name')
        | map('lower') | list %}
    {{ return({"relation": existing, "columns": columns, "source": relation}) }}
{% endmacro %}

{% macro input_source(table_name) %}
    {#-
        The relation input table `table_name` is read from: the dbt source raw.<table_name>, or,
        with var mrr_input_format: stripe, the Stripe adapter's model int_stripe__<table_name>
        for subscriptions, customers and plans (fx_rates stays raw.fx_rates: Stripe has no rates).
    -#}
    {% set input_format = var('mrr_input_format', 'contract') | string | lower %}
    {% if input_format not in ('contract', 'stripe') %}
        {{ exceptions.raise_compiler_error(
            "var mrr_input_format must be contract or stripe, got " ~ (input_format | tojson)
        ) }}
    {% endif %}
    {% if input_format == 'stripe' and table_name in ('subscriptions', 'customers', 'plans') %}
        {{ return(ref('int_stripe__' ~ table_name)) }}
    {% endif %}
    {{ return(source('raw', table_name)) }}
{% endmacro %}
