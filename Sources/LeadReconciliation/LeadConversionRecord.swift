import DomainEvents
import Foundation

/// One `ce_lead_conversions` row to insert, derived from a conversion event.
///
/// `lead_to_both` in one event becomes two rows, `lead_to_patient` and `lead_to_resident`, whose
/// correlation ids are derived deterministically from the event's: `<correlation_id>#patient` and
/// `<correlation_id>#resident` (000: "two audit records … with distinct correlation IDs"). A
/// redelivery therefore maps to the same two rows. The patient row carries only `patient_id`, the
/// resident row only `resident_id`. Any other conversion type is one row, unchanged.
public struct LeadConversionRecord: Sendable, Equatable {
  /// Tenant (lowercased UUID).
  public var organizationId: String
  /// The lead (lowercased UUID).
  public var leadId: String
  /// `lead_to_patient` or `lead_to_resident` (or `lead_to_both` never: it is split).
  public var conversionType: String
  /// The event's correlation id, or the derived one for a split `lead_to_both`.
  public var correlationId: String
  /// Patient created by PM-01, when known.
  public var patientId: String?
  /// Resident created by RH-01, when known.
  public var residentId: String?
  /// User who triggered the conversion.
  public var convertedBy: String
  /// Notes (at most 500 characters).
  public var notes: String?
  /// `custom_fields` as JSON text (sorted keys), when present.
  public var customFields: String?
  /// Conversion time: the event's `metadata.timestamp`.
  public var createdAt: String
  /// The acting user: the event's `metadata.user_id`.
  public var createdBy: String

  /// Suffix of the derived patient correlation id of a `lead_to_both` conversion.
  public static let patientSuffix = "#patient"
  /// Suffix of the derived resident correlation id of a `lead_to_both` conversion.
  public static let residentSuffix = "#resident"

  /// Creates a row value.
  public init(
    organizationId: String, leadId: String, conversionType: String, correlationId: String, patientId: String?,
    residentId: String?, convertedBy: String, notes: String?, customFields: String?, createdAt: String,
    createdBy: String
  ) {
    self.organizationId = organizationId
    self.leadId = leadId
    self.conversionType = conversionType
    self.correlationId = correlationId
    self.patientId = patientId
    self.residentId = residentId
    self.convertedBy = convertedBy
    self.notes = notes
    self.customFields = customFields
    self.createdAt = createdAt
    self.createdBy = createdBy
  }

  /// The rows of one conversion event (one, or two for `lead_to_both`).
  public static func records(
    from payload: LeadConvertedPayload, metadata: EventMetadata
  ) throws(LeadConversionError) -> [LeadConversionRecord] {
    if let notes = payload.notes, notes.unicodeScalars.count > 500 {
      throw LeadConversionError("notes exceed 500 characters")
    }
    let customFields = try encode(payload.custom_fields)
    let base = LeadConversionRecord(
      organizationId: payload.organization_id.lowercased(), leadId: payload.lead_id.lowercased(),
      conversionType: payload.conversion_type, correlationId: payload.correlation_id,
      patientId: payload.patient_id?.lowercased(), residentId: payload.resident_id?.lowercased(),
      convertedBy: payload.converted_by.lowercased(), notes: payload.notes, customFields: customFields,
      createdAt: metadata.timestamp, createdBy: metadata.user_id.lowercased())
    switch payload.conversion_type {
    case "lead_to_patient", "lead_to_resident":
      return [base]
    case "lead_to_both":
      var patient = base
      patient.conversionType = "lead_to_patient"
      patient.correlationId = payload.correlation_id + patientSuffix
      patient.residentId = nil
      var resident = base
      resident.conversionType = "lead_to_resident"
      resident.correlationId = payload.correlation_id + residentSuffix
      resident.patientId = nil
      return [patient, resident]
    default:
      throw LeadConversionError("unknown conversion_type")
    }
  }

  /// The correlation ids a patient registration with correlation id `correlationId` may belong to:
  /// the id itself and its `lead_to_both` patient derivation.
  public static func patientCorrelationCandidates(_ correlationId: String) -> [String] {
    correlationId.hasSuffix(patientSuffix) ? [correlationId] : [correlationId, correlationId + patientSuffix]
  }

  private static func encode(_ fields: [String: EventJSONValue]?) throws(LeadConversionError) -> String? {
    guard let fields else { return nil }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(fields), let text = String(data: data, encoding: .utf8) else {
      throw LeadConversionError("custom_fields cannot be encoded as JSON")
    }
    return text
  }
}
