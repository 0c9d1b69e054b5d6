namespace CustomerValue.Models.Simulation;

/// <summary>One simulated purchase: time since the start of the observation window, and its value.</summary>
public readonly record struct SimulatedPurchase(double Time, double Amount);
