{{ config(enabled=mrr_engine.is_stripe_input()) }}
-- One row per Stripe price, in the shape of the input contract's plans (plan_id = the price id,
-- plan_name, product_id = its product family), which stg_plans reads when var mrr_input_format
-- is stripe. Switch pairing works within a product family: var mrr_stripe_product_families maps
-- Stripe product ids to families (Stripe tiers are usually separate products); a product not in
-- the map is its own family. stripe_product_id keeps Stripe's product.

{% set families = var('mrr_stripe_product_families', {}) or {} %}
{% if families is not mapping %}
    {{ exceptions.raise_compiler_error(
        "var mrr_stripe_product_families must be a mapping of Stripe product id to family, got "
        ~ (families | string | tojson)
    ) }}
{% endif %}

with

prices as (
    select * from {{ ref('stg_stripe__price') }}
),

products as (
    select * from {{ ref('stg_stripe__product') }}
),

final as (
    select
        prices.price_id as plan_id,
        prices.product_id as stripe_product_id,
        coalesce(products.product_name || ' ' || prices.nickname, products.product_name, prices.nickname)
            as plan_name,
        {% if families %}
            case prices.product_id
                {% for product, family in families.items() %}
                    when '{{ product | string | replace("'", "''") }}'
                        then '{{ family | string | replace("'", "''") }}'
                {% endfor %}
                else prices.product_id
            end
        {% else %}
            coalesce(prices.product_id, '')
        {% endif %} as product_id,
        row_number() over (order by prices.price_id) as input_row_number
    from prices
    left join products
        on prices.product_id = products.product_id
)

select * from final
