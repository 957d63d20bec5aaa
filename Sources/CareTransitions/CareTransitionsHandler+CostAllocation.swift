import ConsumerRuntime
import DomainEvents
import GRDB
import Logging

extension CareTransitionsHandler {
  /// `fa_program_cost_allocated` (003 Event 3): upserts `cl_program_cost_outcomes` by allocation id
  /// (a re-allocation of the same period replaces the figures) for CL-10 cost-per-outcome
  /// reporting. Read-only towards FA.
  func recordCostAllocation(
    _ envelope: ContractEnvelope<ProgramCostAllocatedPayload>, eventId: String, db: Database,
    context: HandlerContext
  ) throws {
    let payload = envelope.payload
    let organization = envelope.metadata.organization_id.lowercasedIfNeeded()
    let allocationId = payload.entity_id.lowercasedIfNeeded()
    if let owner = try String.fetchOne(
      db, sql: "SELECT organization_id FROM cl_program_cost_outcomes WHERE allocation_id = ?",
      arguments: [allocationId]), owner != organization
    {
      throw HandlerError.permanent("cost allocation \(allocationId) belongs to another organization")
    }
    let now = ISOTime.string(context.now)
    try db.execute(
      sql: """
        INSERT INTO cl_program_cost_outcomes (
          allocation_id, organization_id, program_id, program_name, period_start, period_end, total_cost_cents,
          cost_per_patient_day, patient_count, allocation_method, cost_per_patient_cents, source_event_id,
          created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (allocation_id) DO UPDATE SET
          program_id = excluded.program_id, program_name = excluded.program_name,
          period_start = excluded.period_start, period_end = excluded.period_end,
          total_cost_cents = excluded.total_cost_cents, cost_per_patient_day = excluded.cost_per_patient_day,
          patient_count = excluded.patient_count, allocation_method = excluded.allocation_method,
          cost_per_patient_cents = excluded.cost_per_patient_cents, source_event_id = excluded.source_event_id,
          updated_at = excluded.updated_at
        WHERE cl_program_cost_outcomes.organization_id = excluded.organization_id
        """,
      arguments: [
        allocationId, organization, payload.program_id.lowercasedIfNeeded(), payload.program_name,
        payload.period_start,
        payload.period_end, payload.total_cost, payload.cost_per_patient_day, payload.patient_count,
        payload.allocation_method,
        Self.costPerPatientCents(totalCents: payload.total_cost, patientCount: payload.patient_count),
        eventId,
        now, now,
      ])
    context.logger.info("program cost allocation stored", metadata: ["allocation_id": "\(allocationId)"])
  }

  /// `total / patient_count` rounded half up to a whole cent; `nil` when there are no patients
  /// (or the figures are negative). Never overflows.
  public static func costPerPatientCents(totalCents: Int, patientCount: Int) -> Int? {
    guard patientCount > 0, totalCents >= 0 else { return nil }
    let quotient = totalCents / patientCount
    let remainder = totalCents % patientCount
    return remainder >= patientCount - remainder ? quotient + 1 : quotient
  }
}
