// Placeholder: filled in by the module owner.
namespace firebreak::gis {}
