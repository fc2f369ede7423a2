{% macro customer_attributes_changed(relation=none) %}
    {#-
        Whether this build changes the customer attributes of the previous build's customers: a
        customer with another value in an attribute column (int_incremental_window's
        changed_attribute_customers), or attributes that cannot be compared (other attribute
        columns, or no previous build). fct_customer_mrr_monthly, which carries them in every
        month, is then rebuilt in full (should_full_refresh()) and tested whole
        (tested_months_condition()).
        relation: where int_incremental_window is (default: the model being built).
    -#}
    {% set changed = mrr_engine.incremental_window(relation).changed_attribute_customers %}
    {{ return(changed is none or changed > 0) }}
{% endmacro %}
