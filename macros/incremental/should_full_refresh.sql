{% macro should_full_refresh() %}
    {#-
        dbt's hook for whether an incremental model is rebuilt in full (this project's version
        replaces dbt's): the model's config full_refresh, else the --full-refresh flag, as dbt
        does; and for a model that carries the customer attributes (config
        rebuild_on_attribute_change: fct_customer_mrr_monthly), also when int_incremental_window
        found a customer of the previous build with other attribute values, or could not compare
        them (other attribute columns, or no previous build): every month holds those values, so
        a rebuild by month would leave old ones, and new columns need a new table.
    -#}
    {% set full_refresh = config.get('full_refresh') %}
    {% if full_refresh is none %}
        {% set full_refresh = flags.FULL_REFRESH %}
    {% endif %}
    {% if not full_refresh and execute and config.get('rebuild_on_attribute_change', false)
        and load_relation(this) is not none %}
        {% set full_refresh = mrr_engine.customer_attributes_changed() %}
    {% endif %}
    {{ return(full_refresh) }}
{% endmacro %}
