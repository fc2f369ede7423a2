-- One row per changed line of a continuing customer per month and per effect (plan or price,
-- quantity, discount, fx) with a non-zero amount: the line's MRR change split by sequential
-- substitution, in the order price -> quantity -> discount -> fx. Each state's MRR is rounded to
-- cents, so the effects of a line add up exactly to mrr_1 - mrr_0.

with

line_changes as (
    select * from {{ ref('int_line_changes') }}
),

added_or_removed as (
    select
        month,
        customer_id,
        subscription_id,
        item_id,
        from_plan_id,
        to_plan_id,
        product_id,
        case line_change when 'added' then 'add_on' else 'add_on_removal' end as movement_type,
        mrr_1 - mrr_0 as mrr_amount
    from line_changes
    where line_change in ('added', 'removed')
),

continued as (
    select * from line_changes
    where line_change in ('kept', 'switched')
),

substituted as (
    select
        *,
        {{ mrr_engine.line_mrr(
            'unit_amount_1', 'quantity_0', 'discount_percent_0', 'discount_amount_0',
            'factor_numerator_1', 'factor_denominator_1',
            'factor_numerator_0', 'factor_denominator_0', 'rate_0'
        ) }} as mrr_price_changed,
        {{ mrr_engine.line_mrr(
            'unit_amount_1', 'quantity_1', 'discount_percent_0', 'discount_amount_0',
            'factor_numerator_1', 'factor_denominator_1',
            'factor_numerator_0', 'factor_denominator_0', 'rate_0'
        ) }} as mrr_quantity_changed,
        {{ mrr_engine.line_mrr(
            'unit_amount_1', 'quantity_1', 'discount_percent_1', 'discount_amount_1',
            'factor_numerator_1', 'factor_denominator_1',
            'factor_numerator_1', 'factor_denominator_1', 'rate_0'
        ) }} as mrr_discount_changed
    from continued
),

effects as (
    select
        *,
        mrr_price_changed - mrr_0 as price_effect,
        mrr_quantity_changed - mrr_price_changed as quantity_effect,
        mrr_discount_changed - mrr_quantity_changed as discount_effect,
        mrr_1 - mrr_discount_changed as fx_effect
    from substituted
),

unpivoted as (
    select
        month, customer_id, subscription_id, item_id, from_plan_id, to_plan_id, product_id,
        case
            when from_plan_id != to_plan_id and price_effect > 0 then 'upgrade'
            when from_plan_id != to_plan_id then 'downgrade'
            when price_effect > 0 then 'price_increase'
            else 'price_decrease'
        end as movement_type,
        price_effect as mrr_amount
    from effects
    where price_effect != 0

    union all

    select
        month, customer_id, subscription_id, item_id, from_plan_id, to_plan_id, product_id,
        case when quantity_effect > 0 then 'seat_expansion' else 'seat_contraction' end,
        quantity_effect
    from effects
    where quantity_effect != 0

    union all

    select
        month, customer_id, subscription_id, item_id, from_plan_id, to_plan_id, product_id,
        case when discount_effect > 0 then 'discount_end' else 'discount_start' end,
        discount_effect
    from effects
    where discount_effect != 0

    union all

    select
        month, customer_id, subscription_id, item_id, from_plan_id, to_plan_id, product_id,
        'fx',
        fx_effect
    from effects
    where fx_effect != 0
),

final as (
    select * from unpivoted
    union all
    select * from added_or_removed
)

select * from final
