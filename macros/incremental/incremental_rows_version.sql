{% macro incremental_rows_version() %}
    {#-
        The version of what the incremental models hold for a given input. int_incremental_window
        records it with the build's settings, and an incremental build on a warehouse written
        under another version (or before versions were recorded) rebuilds every month, as it does
        when a var changed. Raise it with every change of the project that makes an incremental
        table hold other rows for the same input while its columns stay the same (a change of
        columns stops the build instead: on_schema_change fail).
        2: int_line_changes without the lines within their period in force (docs/scale-history.md,
        round 11).
    -#}
    {{ return(2) }}
{% endmacro %}
