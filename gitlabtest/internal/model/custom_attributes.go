package model

// Custom attributes of users: lib/api/custom_attributes_endpoints.rb
// over the UserCustomAttribute model
// (app/models/user_custom_attribute.rb). Who may reach them (the API's
// administrators) is the endpoints' guard.

// CustomAttribute is u.custom_attributes.find_by!(key:): its value, or
// ActiveRecord::RecordNotFound.
func (st *Store) CustomAttribute(u *User, key string) (string, error) {
	v, ok := u.CustomAttributes[key]
	if !ok {
		return "", recordNotFound()
	}
	return v, nil
}

// SetCustomAttribute is find_or_initialize_by(key:).update!(value:): it
// creates or updates the attribute. The model requires a value
// (validates :value, presence: true: not blank, whitespace counting as
// blank); update! raises ActiveRecord::RecordInvalid.
func (st *Store) SetCustomAttribute(u *User, key, value string) error {
	if blank(value) {
		var fe Errors
		fe.Add("value", "can't be blank")
		return fe.RecordErr()
	}
	if u.CustomAttributes == nil {
		u.CustomAttributes = map[string]string{}
	}
	u.CustomAttributes[key] = value
	return nil
}

// DeleteCustomAttribute destroys the attribute; an unknown key is 404
// Custom attribute.
func (st *Store) DeleteCustomAttribute(u *User, key string) error {
	if _, ok := u.CustomAttributes[key]; !ok {
		return notFound("Custom attribute")
	}
	delete(u.CustomAttributes, key)
	return nil
}
