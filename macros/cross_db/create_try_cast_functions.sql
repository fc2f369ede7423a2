{% macro create_try_cast_functions() %}
    {#-
        SQL run at the start of every dbt invocation (on-run-start): on engines without a
        try_cast, the functions try_cast_value() calls; nothing elsewhere.
    -#}
    {{ return(adapter.dispatch('create_try_cast_functions', 'mrr_engine')()) }}
{% endmacro %}

{% macro default__create_try_cast_functions() %}{% endmacro %}

{% macro postgres__create_try_cast_functions() %}
    create schema if not exists {{ target.schema }};

    create or replace function {{ target.schema }}.mrr_try_numeric(value text, digits integer, places integer)
    returns numeric language plpgsql immutable as $$
    declare parsed numeric;
    begin
        parsed := round(value::numeric, places);
        if abs(parsed) >= 10::numeric ^ (digits - places) then
            return null;
        end if;
        return parsed;
    exception when others then
        return null;
    end $$;

    {% for kind in ['integer', 'bigint', 'date'] %}
    create or replace function {{ target.schema }}.mrr_try_{{ kind }}(value text)
    returns {{ kind }} language plpgsql immutable as $$
    begin
        return value::{{ kind }};
    exception when others then
        return null;
    end $$;
    {% endfor %}
{% endmacro %}
