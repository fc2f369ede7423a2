{% macro tested_months_condition(relation) %}
    {#-
        For a data test of `relation`: the condition that limits it to the months this build
        rebuilt in it, or none when the whole relation is to be tested.
        Only when the build asks for it (var test_rebuilt_months_only, which `mrr build
        --incremental` sets on DuckDB, where a build that fails a test never replaces the
        database) and only for an incremental model of this project (month or period grain): its
        other months were kept as they were, and passed the tests of the build that wrote them.
        metrics_mrr_monthly_by_segment (rebuild_segmented) is tested whole: a few rows, and whether
        it was rebuilt whole depends on the segments it had before this build. So is
        fct_customer_mrr_monthly when it was rebuilt in full because attributes changed.
    -#}
    {% if not execute or not var('test_rebuilt_months_only', false) %}
        {{ return(none) }}
    {% endif %}
    {% for node in graph.nodes.values() %}
        {% if node.resource_type == 'model' and node.package_name == project_name
            and node.alias == relation.identifier and node.config.materialized == 'incremental'
            and not node.config.get('rebuild_segmented', false) %}
            {% if node.config.get('rebuild_on_attribute_change', false)
                and mrr_engine.customer_attributes_changed(relation) %}
                {#- rebuilt in full (should_full_refresh()) -#}
                {{ return(none) }}
            {% endif %}
            {{ return(mrr_engine.rebuilt_rows_condition(node.config, relation=relation)) }}
        {% endif %}
    {% endfor %}
    {{ return(none) }}
{% endmacro %}
