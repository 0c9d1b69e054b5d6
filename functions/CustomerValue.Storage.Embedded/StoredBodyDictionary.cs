using System.Text;

namespace CustomerValue.Storage.Embedded;

/// <summary>
/// The dictionaries compressed bodies are written against (<see cref="StoredBodies"/>): typical documents of the
/// containers that hold the most of them (identity links, orders, import checkpoints), so that their field names and
/// common values are matched rather than spelled out in every document. Zstandard takes any bytes as a dictionary; the
/// last bytes are the cheapest to refer to, so the most numerous documents (orders) come last.
/// <para>
/// A stored body can only be read with the dictionary it was written with: no version may ever change (a test pins their
/// hashes). A better dictionary is a new version with its own marker byte, beside the others.
/// </para>
/// </summary>
internal static class StoredBodyDictionary
{
    /// <summary>The bytes of dictionary version 1.</summary>
    public static byte[] Version1() => Encoding.UTF8.GetBytes(string.Concat(
        """{"id":"imp-0000000000000000000000000000000000000000-q1150","importId":"imp-0000000000000000000000000000000000000000","rows":[{"record":1150,"line":1151,"column":"timestamp","reason":"is not a timestamp in ISO 8601"},{"record":2613,"line":2614,"column":"amount","reason":"is not an amount"}]}""",
        """{"id":"imp-0000000000000000000000000000000000000000","exportName":"pos-export.csv","exportVersion":"0-0","layout":"generic","status":"running","attempts":1,"read":4096,"accepted":3482,"duplicates":0,"anonymous":609,"quarantined":5,"skipped":0,"recordsDone":4096,"quarantinedRows":[],"quarantineChunks":[],"startedAt":"2024-01-01T00:00:00+00:00"}""",
        """{"id":"loyalty-0000000000000000000000000000000000000000000000000000000000000000","profileId":"cp-000000000000000000000000","kind":"loyalty"}""",
        """{"id":"phone-0000000000000000000000000000000000000000000000000000000000000000","profileId":"cp-000000000000000000000000","kind":"phone"}""",
        """{"id":"source-0000000000000000000000000000000000000000000000000000000000000000","profileId":"cp-000000000000000000000000","kind":"sourceCustomer"}""",
        """{"id":"email-0000000000000000000000000000000000000000000000000000000000000000","profileId":"cp-000000000000000000000000","kind":"email"}""",
        """{"orderKey":"shopify:shop.myshopify.com:order:4501","placedAt":"2024-01-01T00:00:00+00:00","versionAt":"2024-01-01T00:00:00+00:00","gross":120.5,"discounts":10,"tax":8.25,"shipping":4.99,"refunded":20,"currency":"EUR","channel":"online","device":"mobile","cancelled":true,"acquisitionChannel":"google/cpc","refunds":[{"refundId":"r1","amount":20,"refundedAt":"2024-01-01T00:00:00+00:00"}],"isRefundOnly":true}""",
        """{"orderKey":"pos:store-0:tx:R10000000","kind":"return","placedAt":"2024-01-01T00:00:00+00:00","versionAt":"2024-01-01T00:00:00+00:00","gross":0,"refunded":25.5,"currency":"USD","channel":"store","device":"pos","acquisitionChannel":"store/pos","storeId":"store-0","appliedBy":"imp-0000000000000000000000000000000000000000#1"}""",
        """{"orderKey":"pos:store-0:tx:T10000000","placedAt":"2024-01-01T00:00:00+00:00","versionAt":"2024-01-01T00:00:00+00:00","gross":12.25,"currency":"USD","channel":"store","device":"pos","acquisitionChannel":"store/pos","storeId":"store-0","appliedBy":"imp-0000000000000000000000000000000000000000#1"}"""));

    /// <summary>
    /// The bytes of dictionary version 2, for profiles: a typical profile of a POS customer, without its <c>id</c>
    /// property, as <see cref="StoredBodies"/> stores it. Kept apart from version 1 because a larger dictionary made
    /// the orders' bodies longer at compression level 1 (about 7 bytes each), while this one takes a profile of about
    /// 1,200 bytes to about 170.
    /// </summary>
    public static byte[] Version2() => Encoding.UTF8.GetBytes(
        """{"sourceCustomerIds":["pos:generic:C0000000"],"emails":["first.last00000@mail.example.com"],"phones":["\u002B10000000000"],"loyaltyIds":["loyalty:L20000000"],"firstName":"Harper","lastName":"Walker","firstNameAt":"2024-01-01T00:00:00+00:00","lastNameAt":"2024-01-01T00:00:00+00:00","orderTotals":{"kept":2,"purchases":2,"refundedPurchases":0,"returns":0,"gross":215.41,"refunded":0,"firstPurchaseAt":"2024-01-01T00:00:00+00:00","lastPurchaseAt":"2024-01-01T00:00:00+00:00","channels":[{"channel":"store","purchases":2,"lastPurchaseAt":"2024-01-01T00:00:00+00:00"}],"devices":[{"device":"pos","purchases":2}],"acquisition":{"channel":"store/pos","at":"2024-01-01T00:00:00+00:00","orderKey":"pos:store-0:tx:T10000000"},"days":[[20240101,1,1,19.17,0],[20240102,1,1,196.24,0]]},"consent":[],"engagement":{"channels":[],"devices":[]},"segments":[],"merges":[],"createdAt":"2024-01-01T00:00:00.0000000+00:00","updatedAt":"2024-01-01T00:00:00.0000000+00:00","orders":2,"grossRevenue":215.41,"refunds":0,"netRevenue":215.41,"channels":["store"],"devices":["pos"],"firstOrderAt":"2024-01-01T00:00:00+00:00","lastOrderAt":"2024-01-01T00:00:00+00:00","acquisitionChannel":"store/pos"}""");
}
