/// `payload` of `fa_program_cost_allocated` (003, Event 3): FA allocated program costs for a period.
public struct ProgramCostAllocatedPayload: Codable, Sendable, Hashable {
  /// fa_cost_allocations.id (UUID).
  public var entity_id: String
  /// Always `cost_allocation`.
  public var entity_type: String
  /// Program (UUID).
  public var program_id: String
  /// e.g. `IOP`, `PHP`, `Residential`.
  public var program_name: String
  /// ISO date `YYYY-MM-DD`.
  public var period_start: String
  /// ISO date `YYYY-MM-DD`.
  public var period_end: String
  /// Total cost in integer cents (≥ 0).
  public var total_cost: Int
  /// Cost per patient day (≥ 0).
  public var cost_per_patient_day: Double?
  /// Number of patients (≥ 0).
  public var patient_count: Int
  /// `direct`, `step_down` or `activity_based`.
  public var allocation_method: String

  /// Creates the value; field names and meanings as in the seed.
  public init(
    entity_id: String, entity_type: String = "cost_allocation", program_id: String, program_name: String,
    period_start: String, period_end: String, total_cost: Int, cost_per_patient_day: Double? = nil,
    patient_count: Int, allocation_method: String
  ) {
    self.entity_id = entity_id
    self.entity_type = entity_type
    self.program_id = program_id
    self.program_name = program_name
    self.period_start = period_start
    self.period_end = period_end
    self.total_cost = total_cost
    self.cost_per_patient_day = cost_per_patient_day
    self.patient_count = patient_count
    self.allocation_method = allocation_method
  }
}
