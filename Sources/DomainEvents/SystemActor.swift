/// The reserved platform system profile that automated publishers put in `metadata.user_id` (004,
/// "Automated event publishers").
public enum SystemActor {
  /// `pf_profiles.id` of the System Automation profile.
  public static let profileID = "00000000-0000-0000-0000-000000000001"
}
