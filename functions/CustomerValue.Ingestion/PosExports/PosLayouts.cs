using CustomerValue.Domain.Profiles;

namespace CustomerValue.Ingestion.PosExports;

/// <summary>Layouts for the exports we know.</summary>
public static class PosLayouts
{
    /// <summary>
    /// Our own format: headers <c>transaction_id</c>, <c>timestamp</c>, <c>total</c> (required) and optional
    /// <c>type</c> (sale/return), <c>currency</c>, <c>store_id</c>, <c>customer_id</c>, <c>email</c>, <c>phone</c>,
    /// <c>first_name</c>, <c>last_name</c>, <c>loyalty_id</c>; ISO 8601 timestamps, UTC unless they carry an offset.
    /// </summary>
    public static PosLayout Generic { get; } = new() { Name = "generic" };

    /// <summary>
    /// Square's Transactions CSV (Dashboard → Transactions → Export): <c>Date</c>, <c>Time</c>, <c>Time Zone</c>
    /// (e.g. <c>Pacific Time (US &amp; Canada)</c>), <c>Total Collected</c> as <c>$1,240.00</c> / <c>-$0.95</c>,
    /// <c>Event Type</c> Payment or Refund, <c>Transaction ID</c>, <c>Location</c>, <c>Customer ID</c>,
    /// <c>Customer Name</c>. A refund row repeats the id of the payment it refunds. Square customer ids are account-wide,
    /// so they are scoped as <c>square:{id}</c> rather than per location.
    /// </summary>
    /// <param name="currency">The account currency; the export writes amounts with a symbol only.</param>
    public static PosLayout SquareTransactions(string currency = "USD") => new()
    {
        Name = "square-transactions",
        Currency = currency,
        Delimiter = ',',
        DecimalSeparator = '.',
        GroupSeparators = ",",
        TimestampFormats =
        [
            "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd H:mm:ss", "M/d/yyyy HH:mm:ss", "M/d/yyyy H:mm:ss",
            "M/d/yyyy h:mm:ss tt", "yyyy-MM-dd h:mm:ss tt", "M/d/yyyy H:mm", "yyyy-MM-dd",
        ],
        Columns = new PosColumns
        {
            TransactionId = "Transaction ID", Timestamp = null, Date = "Date", Time = "Time", TimeZone = "Time Zone",
            Total = "Total Collected", Type = "Event Type", Currency = null, StoreId = "Location", Channel = null,
            CustomerId = "Customer ID", FullName = "Customer Name", Email = null, Phone = null, FirstName = null,
            LastName = null, LoyaltyId = null, Discounts = "Discounts", Tax = "Tax",
        },
        Returns = new PosReturnRule { TypeValues = ["refund"], SaleValues = ["payment"], NegativeTotal = true },
        CustomerKeyTemplate = "square:{id}",
        FormerCustomerKeyTemplate = null,
        ReturnsReuseSaleId = true,
    };

    /// <summary>
    /// Shopify's order export (Orders → Export), which is how Shopify POS sales leave Shopify as CSV. One row per line
    /// item; only an order's first row carries <c>Total</c>, so the others are skipped. Orders are keyed as the webhooks
    /// key them (<c>shopify:{shop}:order:{Id}</c>), so an export imported next to live webhooks never counts an order twice.
    /// <c>Source</c> (pos, web, ...) sets the channel and <c>Location</c> the store.
    /// </summary>
    /// <param name="shopDomain">The shop, e.g. <c>my-shop.myshopify.com</c>.</param>
    public static PosLayout ShopifyPos(string shopDomain)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(shopDomain);
        var shop = shopDomain.Trim().ToLowerInvariant();
        shop = shop.EndsWith(".myshopify.com", StringComparison.Ordinal) ? shop[..^".myshopify.com".Length] : shop;
        return new PosLayout
        {
            Name = "shopify-pos",
            Delimiter = ',',
            DecimalSeparator = '.',

            // The export writes plain numbers (1240.00); a comma there would be a broken file, not a thousand.
            GroupSeparators = string.Empty,
            TimestampFormats = ["yyyy-MM-dd HH:mm:ss zzz", "yyyy-MM-dd HH:mm:ss K", "yyyy-MM-dd HH:mm:ss"],
            Channel = SalesChannel.Store,
            Columns = new PosColumns
            {
                TransactionId = "Id", Timestamp = "Created at", Total = "Total", Currency = "Currency", Type = null,
                StoreId = "Location", Channel = "Source", CustomerId = null, Email = "Email",
                Phone = "Phone|Billing Phone|Shipping Phone", FirstName = null, LastName = null, FullName = "Billing Name",
                LoyaltyId = null, Discounts = "Discount Amount", Tax = "Taxes", Shipping = "Shipping",
                Refunded = "Refunded Amount", CancelledAt = "Cancelled at",
            },
            Returns = new PosReturnRule { TypeValues = [], NegativeTotal = false },
            OrderKeyTemplate = $"shopify:{shop}:order:{{id}}",
            CustomerKeyTemplate = $"shopify:{shop}:{{id}}",
            FormerCustomerKeyTemplate = null,
            SkipRowsWithoutTotal = true,
        };
    }
}
