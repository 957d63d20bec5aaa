import FleetKit

await FleetCommand.main()
